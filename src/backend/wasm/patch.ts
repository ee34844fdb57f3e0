/**
 * Rebuilds a wasm binary from another build and a patch, so the package ships one copy of the
 * code the builds share: the relaxed-SIMD build differs from the strict one in the bodies of a
 * few BLAS functions (~8 kB of ~100 kB), and each build without shared memory differs from its
 * shared twin in the memory import's flag. scripts/wasm-assets.mjs writes the patches and checks,
 * at build time with this decoder, that each one rebuilds its build byte for byte.
 *
 * Patch format (all counts and lengths unsigned LEB128):
 * `\0ntp` magic, version byte 1, then the target's sections in order, each as a tag byte:
 * - 0, base section index: the base's section, copied;
 * - 1, id byte, length, bytes: a section given in full;
 * - 2, base section index, function count, replaced count, then per replaced function its index,
 *   length and body: the base's code section with those function bodies replaced.
 * @module
 */

const MAGIC = [0x00, 0x6e, 0x74, 0x70, 1]; // "\0ntp", version 1

/** One section of a wasm binary: its id and payload. */
interface Section {
  id: number;
  body: Uint8Array;
}

/** A reader over `b`: bytes, unsigned LEB128 numbers and byte runs; throws `what: truncated` past the end. */
function reader(b: Uint8Array, what: string) {
  let p = 0;
  const byte = (): number => {
    if (p >= b.length) throw new Error(`${what}: truncated`);
    return b[p++]!;
  };
  return {
    done: () => p >= b.length,
    byte,
    leb(): number {
      let r = 0;
      for (let shift = 0, x = 0x80; x & 0x80; shift += 7) {
        if (shift > 28) throw new Error(`${what}: malformed LEB128 number`);
        x = byte();
        r += (x & 0x7f) * 2 ** shift;
      }
      return r;
    },
    bytes(n: number): Uint8Array {
      if (p + n > b.length) throw new Error(`${what}: truncated`);
      return b.subarray(p, (p += n));
    },
  };
}

/** Unsigned LEB128 of `n`. */
function leb(n: number): number[] {
  const out: number[] = [];
  for (; n > 127; n = Math.floor(n / 128)) out.push((n % 128) | 0x80);
  out.push(n);
  return out;
}

/** The sections of a wasm binary, in order. */
function wasmSections(wasm: Uint8Array): Section[] {
  const r = reader(wasm, 'wasm binary');
  if (r.bytes(8)[1] !== 0x61) throw new Error('wasm binary: bad magic number');
  const out: Section[] = [];
  while (!r.done()) out.push({ id: r.byte(), body: r.bytes(r.leb()) });
  return out;
}

/**
 * The wasm binary `patch` describes relative to `base` (see the module comment).
 * @throws Error when the patch is malformed or does not fit `base`.
 */
export function applyWasmPatch(base: Uint8Array, patch: Uint8Array): Uint8Array {
  const r = reader(patch, 'wasm patch');
  if (MAGIC.some((m) => r.byte() !== m)) throw new Error('wasm patch: not a version 1 patch');
  const sections = wasmSections(base);
  const baseSection = (): Section => {
    const i = r.leb();
    if (!sections[i]) throw new Error(`wasm patch: names section ${i}, the base has ${sections.length}`);
    return sections[i];
  };
  const parts: ArrayLike<number>[] = [base.subarray(0, 8)];
  while (!r.done()) {
    const tag = r.byte();
    let id: number;
    let body: ArrayLike<number>[];
    if (tag === 0) {
      const s = baseSection();
      id = s.id;
      body = [s.body];
    } else if (tag === 1) {
      id = r.byte();
      body = [r.bytes(r.leb())];
    } else if (tag === 2) {
      const s = baseSection();
      const code = reader(s.body, 'wasm code section');
      const funcs = Array.from({ length: code.leb() }, () => code.bytes(code.leb()));
      if (r.leb() !== funcs.length) throw new Error('wasm patch: function count differs from the base');
      for (let k = r.leb(); k > 0; k--) {
        const i = r.leb();
        if (i >= funcs.length) throw new Error(`wasm patch: function ${i} out of range`);
        funcs[i] = r.bytes(r.leb());
      }
      id = s.id;
      body = [leb(funcs.length), ...funcs.flatMap((f) => [leb(f.length), f])];
    } else {
      throw new Error(`wasm patch: unknown section tag ${tag}`);
    }
    parts.push([id], leb(body.reduce((a, p) => a + p.length, 0)), ...body);
  }
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
