// Go's error wording sometimes prints a value the template was given, which for
// reconfd is a backend value (possibly a password): `error calling atoi:
// strconv.Atoi: parsing "hunter2": invalid syntax`, `range can't iterate over
// hunter2`. Logs and the status server show errors through redactValues.

/**
 * Replaces the values a Go template error may quote: quoted text after `error calling NAME:`, and
 * what range could not iterate over. The location before them (template name, line, action, key
 * names) stays.
 */
export function redactValues(message: string): string {
  // Go's exec prints the value itself here.
  message = message.replace(/(range can't iterate over ).*$/gm, "$1[redacted]");
  const at = /error calling [^:]*: /.exec(message);
  if (at === null) return message;
  const cut = at.index + at[0].length;
  const rest = message.slice(cut).replace(/"(?:[^"\\]|\\.)*"?/g, '"[redacted]"').replace(
    /'(?:[^'\\]|\\.)+'/g,
    "'[redacted]'",
  );
  return message.slice(0, cut) + rest;
}
