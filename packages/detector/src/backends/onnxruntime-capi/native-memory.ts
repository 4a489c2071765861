import koffi from 'koffi';
import type { Pointer } from './ort-library.js';

/** The NUL-terminated UTF-8 string at `pointer`. */
export function readString(pointer: Pointer): string {
  return koffi.decode.string(pointer);
}

/** `count` NUL-terminated strings from an array of `char *` at `pointer`. */
export function readStrings(pointer: Pointer, count: number): string[] {
  if (count === 0) return [];
  const pointers = koffi.decode(pointer, 'void *', count) as (Pointer | null)[];
  return pointers.map((p) => (p ? readString(p) : ''));
}

/** A copy of `byteLength` bytes at `pointer`, as a JS-owned ArrayBuffer. */
export function copyBytes(pointer: Pointer, byteLength: number): ArrayBuffer {
  if (byteLength === 0) return new ArrayBuffer(0);
  return koffi.view(pointer, byteLength).slice(0);
}

/**
 * The address of a typed array's first element. Reading `.buffer` first moves a small (on-heap) array's
 * storage off the V8 heap, so the address stays valid while the array is referenced.
 */
export function addressOf(array: ArrayBufferView): Pointer {
  void array.buffer;
  return koffi.address(array);
}

/** An array of `count` pointers in memory that does not move (for calls that run on koffi's threads). */
export function allocPointers(count: number): Pointer {
  return koffi.alloc('void *', Math.max(1, count)) as Pointer;
}

/** Writes pointers into memory from `allocPointers`. */
export function writePointers(target: Pointer, values: readonly (Pointer | null)[]): void {
  if (values.length > 0) koffi.encode(target, 'void *', [...values], values.length);
}

/** Reads `count` pointers from memory from `allocPointers`. */
export function readPointers(source: Pointer, count: number): (Pointer | null)[] {
  if (count === 0) return [];
  return koffi.decode(source, 'void *', count) as (Pointer | null)[];
}

/** Frees memory from `allocPointers`. */
export function freePointers(pointer: Pointer): void {
  koffi.free(pointer);
}
