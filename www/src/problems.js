// A report's problems: each diagnosis that no other explains, with the exit codes it explains
// (`explained_by`), as the cards, the status line and the reply count them.

/** `[{diagnosis, codes}]`, in the report's order. */
export function problemsOf(report) {
  const problems = report.matches.filter((d) => !d.explained_by).map((diagnosis) => ({ diagnosis, codes: [] }));
  for (const d of report.matches) {
    if (d.explained_by) {
      const cause = problems.find((p) => p.diagnosis.id === d.explained_by);
      if (cause) cause.codes.push(d);
      else problems.push({ diagnosis: d, codes: [] });
    }
  }
  return problems;
}
