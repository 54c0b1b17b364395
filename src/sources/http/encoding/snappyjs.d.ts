/** Types for snappyjs (https://github.com/zhipeng-jia/snappyjs), which ships none. */
declare module 'snappyjs' {
  /** Throws when the header's uncompressed length exceeds maxLength, before allocating. */
  export function uncompress<T extends Uint8Array | ArrayBuffer>(compressed: T, maxLength?: number): T;
  export function compress<T extends Uint8Array | ArrayBuffer>(uncompressed: T): T;
}
