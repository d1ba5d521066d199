/** One column of a table: its heading and how to read a row's cell. */
export interface Column<T> {
  heading: string;
  cell: (row: T) => string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes to measure widths.
const ANSI = /\u001b\[[0-9;]*m/g;
const width = (text: string) => [...text.replace(ANSI, '')].length;

/** Rows as an aligned plain-text table (two spaces between columns, no trailing spaces). */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = [columns.map((c) => c.heading.toUpperCase()), ...rows.map((row) => columns.map((c) => c.cell(row)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => width(line[i] ?? ''))));
  return cells
    .map((line) =>
      line
        .map((cell, i) => (i === line.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - width(cell))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
