// A small reader for ustar archives (what `npm pack` writes inside a .tgz): 512-byte headers,
// each followed by the file's bytes padded to 512, ended by a zero block. Only regular files are
// returned (directories, links and extended headers are passed over), as views into the archive,
// never copies. npm puts every file under one top directory ('package/'): it is removed from the
// names. A name that climbs out ('..') or is absolute makes the whole archive refused: onestep
// only reads archives it has pinned, so such a name means the bytes are not the ones expected.
//
// Header fields used (offsets in bytes): name 0–99, size 124–135 (octal), checksum 148–155
// (octal; the sum of all header bytes with this field read as spaces), type 156, magic 257–262
// ('ustar'), prefix 345–499 (joined to the name with '/').

export class TarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TarError';
  }
}

export interface TarEntry {
  /** Path inside the archive, without the leading 'package/'. */
  name: string;
  /** The file's bytes (a view into the archive). */
  data: Uint8Array;
}

const BLOCK = 512;

function text(block: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && block[end] !== 0) end++;
  return Buffer.from(block.buffer, block.byteOffset + start, end - start).toString('utf8');
}

function octal(block: Uint8Array, start: number, length: number, what: string, at: number): number {
  const raw = text(block, start, length).trim();
  if (!/^[0-7]+$/.test(raw)) throw new TarError(`corrupt archive: header at byte ${at} has ${what} '${raw.slice(0, 20)}', not an octal number`);
  return parseInt(raw, 8);
}

/** Whether a path is safe to name a file under a directory: relative, no '..' component. */
export function safeTarName(name: string): boolean {
  if (name === '' || name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) return false;
  return !name.split(/[\\/]/).some((part) => part === '..');
}

/** The regular files of a ustar archive, in order; `keep` (on the name) limits what is returned. */
export function readTar(archive: Uint8Array, keep: (name: string) => boolean = () => true): TarEntry[] {
  const out: TarEntry[] = [];
  let at = 0;
  for (;;) {
    if (at + BLOCK > archive.length) throw new TarError(`truncated archive: ${archive.length} bytes, the header at byte ${at} is cut`);
    const header = archive.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) return out;
    const stored = octal(header, 148, 8, 'checksum', at);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
    if (sum !== stored) throw new TarError(`corrupt archive: header at byte ${at} fails its checksum (${sum}, stored ${stored})`);
    if (!text(header, 257, 6).startsWith('ustar')) throw new TarError(`corrupt archive: header at byte ${at} is not a ustar header`);
    const size = octal(header, 124, 12, 'size', at);
    const type = String.fromCharCode(header[156] || 0x30);
    const prefix = text(header, 345, 155);
    const full = prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100);
    if (!safeTarName(full)) throw new TarError(`refused archive: entry '${full.slice(0, 80)}' would be written outside its directory`);
    const start = at + BLOCK;
    if (start + size > archive.length) throw new TarError(`truncated archive: '${full.slice(0, 80)}' needs ${size} bytes, ${Math.max(0, archive.length - start)} are left`);
    if (type === '0' || type === '7') {
      const name = full.replace(/^package\//, '');
      if (keep(name)) out.push({ name, data: archive.subarray(start, start + size) });
    }
    at = start + Math.ceil(size / BLOCK) * BLOCK;
  }
}
