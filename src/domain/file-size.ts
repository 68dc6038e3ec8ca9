const MB = 1024 * 1024;

/** A file's size as people read it in a message: "12 MB", "2.5 MB", "0.1 MB". */
export function megabytes(bytes: number): string {
  const mb = bytes / MB;
  return `${mb >= 10 ? Math.round(mb) : mb.toFixed(1)} MB`;
}
