// Go's os.FileMode String form for permission bits (`-rw-r--r--`, `urwxr-xr-x`),
// used in confd's "has mode X should be Y" lines.

/** Formats permission bits (with setuid/setgid/sticky) as Go prints a regular file's FileMode. */
export function fileModeString(mode: number): string {
  let prefix = "";
  if (mode & 0o4000) prefix += "u";
  if (mode & 0o2000) prefix += "g";
  if (mode & 0o1000) prefix += "t";
  const rwx = "rwxrwxrwx";
  let perms = "";
  for (let i = 0; i < 9; i++) perms += mode & (1 << (8 - i)) ? rwx[i] : "-";
  return (prefix === "" ? "-" : prefix) + perms;
}
