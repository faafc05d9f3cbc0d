/**
 * A plain-text table: a header line, then one line per row, columns separated by two spaces. Numbers (cells that
 * parse as one, or `-`) are right-aligned so their digits line up; the last column is never padded, so a long
 * params cell does not push trailing spaces onto every line.
 *
 * @example formatTable(['study', 'complete'], [['wine', '30']]) // 'study  complete\nwine         30'
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((r) => isNumberCell(r[c] ?? '')));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) =>
        c === cells.length - 1 && !numeric[c] ? cell : numeric[c] ? cell.padStart(widths[c] as number) : cell.padEnd(widths[c] as number),
      )
      .join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

function isNumberCell(cell: string): boolean {
  return cell === '-' || (cell.trim() !== '' && Number.isFinite(Number(cell)));
}
