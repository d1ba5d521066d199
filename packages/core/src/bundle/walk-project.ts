import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '../errors/errors.js';
import { DESCRIPTOR_FILE, type EntryKind, EXCLUDED_DIRECTORIES, type ProjectDescriptor } from './descriptor.js';
import { matchesAny } from './glob.js';

/** A file a bundle will hold: its POSIX path in the project, its size and kind. */
export interface ProjectFile {
  path: string;
  absolutePath: string;
  size: number;
  kind?: EntryKind;
}

/**
 * Lists the files of a project directory that the descriptor includes, in path order. Links and
 * special files are refused: a bundle holds regular files only, and a link could reach outside
 * the project.
 *
 * @example
 * ```ts
 * for (const file of await walkProject('./project', descriptor)) console.log(file.path, file.size);
 * ```
 */
export async function walkProject(root: string, descriptor: ProjectDescriptor): Promise<ProjectFile[]> {
  const files: ProjectFile[] = [];
  async function visit(relative: string): Promise<void> {
    const directory = await opendir(join(root, relative));
    for await (const entry of directory) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!EXCLUDED_DIRECTORIES.has(entry.name)) await visit(path);
        continue;
      }
      if (path === DESCRIPTOR_FILE) continue;
      if (!entry.isFile()) {
        throw new ValidationError(
          `bundles.build: "${path}" is ${entry.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}; bundles hold regular files only. Replace it with a copy of its target or exclude it in ${DESCRIPTOR_FILE}.`,
        );
      }
      if (!matchesAny(path, descriptor.include) || matchesAny(path, descriptor.exclude)) continue;
      const { size } = await lstat(join(root, path));
      const kind = (Object.entries(descriptor.kinds) as [EntryKind, string[]][]).find(([, globs]) =>
        matchesAny(path, globs),
      )?.[0];
      files.push({ path, absolutePath: join(root, path), size, ...(kind ? { kind } : {}) });
    }
  }
  await visit('');
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
