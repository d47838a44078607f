/**
 * CSV exports (RFC 4180), the one way the web app writes them: payouts' earnings and statements,
 * analytics' chart data.
 */

export type CsvValue = string | number | null | undefined;

/**
 * One CSV field. Numbers unformatted (no grouping, "." decimals; a non-finite number is a bug and
 * throws); text quoted when it holds a comma, a quote, a line break or edge spaces (quotes doubled).
 * Text a spreadsheet would run as a formula (starting with = + - @, or a tab or CR: "CSV injection")
 * gets a leading apostrophe, as OWASP advises: failure messages, video titles and player versions
 * come from outside, and opening an export must never run them.
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return String(value);
  }
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header row and rows → CSV text: fields by `csvField`, CRLF line ends, a final line end. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(",")}\r\n`).join("");
}

/**
 * Hands a CSV to the browser as a download (a Blob URL, nothing leaves the page). A byte-order mark
 * first, so spreadsheet programs read it as UTF-8 (names, titles and failure texts may be any language).
 */
export function downloadCsv(fileName: string, csv: string): void {
  const blob = new Blob(["\uFEFF", csv], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has started the download; the URL can go once the event loop has moved on.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
