/** A Blob that counts the bytes read through it (how much of a file an excerpt reader touched). */
export class CountingBlob extends Blob {
  bytesRead = 0;
  override slice(start?: number, end?: number, contentType?: string): Blob {
    const part = super.slice(start, end, contentType);
    this.bytesRead += part.size;
    return part;
  }
}
