import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatBytes, progressDisplay, progressLine } from '#internal/output/progress-display.js';

function stream(tty: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const sink = new PassThrough();
  let text = '';
  sink.on('data', (chunk) => {
    text += chunk;
  });
  Object.assign(sink, {
    isTTY: tty,
    columns: 120,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
  });
  return { stream: sink as unknown as NodeJS.WriteStream, text: () => text };
}

const MiB = 1024 * 1024;

describe('progress display', () => {
  it('draws a bar with bytes, rate and ETA on a terminal', () => {
    const { stream: stderr, text } = stream(true);
    const display = progressDisplay({ stderr, env: {} }, 'export', { json: false });
    display.update({ filesDone: 0, filesTotal: 2, bytesDone: 0, bytesTotal: 4 * MiB });
    display.update({ filesDone: 1, filesTotal: 2, bytesDone: 2 * MiB, bytesTotal: 4 * MiB });
    display.update({ filesDone: 2, filesTotal: 2, bytesDone: 4 * MiB, bytesTotal: 4 * MiB });
    display.stop();
    expect(text()).toMatch(/export \[[█░]+\] 100% \| 4\.0 MiB\/4\.0 MiB \| .+\/s \| ETA 0s \| 2\/2 files/);
  });

  it('prints plain lines otherwise: the end always, nothing with --json', () => {
    const plain = stream(false);
    const display = progressDisplay({ stderr: plain.stream, env: {} }, 'build', { json: false });
    display.update({ filesDone: 1, filesTotal: 1, bytesDone: 1536, bytesTotal: 1536 });
    display.stop();
    expect(plain.text()).toMatch(/^build: 1\/1 files, 1\.5 KiB\/1\.5 KiB \(100 %\), .+\/s, ETA 0s\n$/);

    const json = stream(false);
    const quiet = progressDisplay({ stderr: json.stream, env: {} }, 'build', { json: true });
    quiet.update({ filesDone: 1, filesTotal: 1, bytesDone: 1, bytesTotal: 1 });
    quiet.stop();
    expect(json.text()).toBe('');
  });

  it('formats sizes, rates and the time left', () => {
    expect([formatBytes(0), formatBytes(1023), formatBytes(1024), formatBytes(5 * MiB)]).toEqual([
      '0 B',
      '1023 B',
      '1.0 KiB',
      '5.0 MiB',
    ]);
    const line = progressLine('import', { filesDone: 1, filesTotal: 4, bytesDone: MiB, bytesTotal: 4 * MiB }, 0, 1000);
    expect(line).toBe('import: 1/4 files, 1.0 MiB/4.0 MiB (25 %), 1.0 MiB/s, ETA 3s');
  });
});
