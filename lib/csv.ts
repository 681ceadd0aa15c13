/** CSV files (RFC 4180 through csv-stringify), built and streamed the same way for every export. */
import { stringify } from "csv-stringify/sync";

/** A cell a spreadsheet would run as a formula: text starting with = + - @, a tab or a carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal number (an amount, possibly negative): a spreadsheet reads it as a number, not a formula. */
const DECIMAL_NUMBER = /^-?\d+(\.\d+)?$/;

/** The cell as written: a text a spreadsheet would evaluate gets a leading ' so it stays text. */
export function csvCell(value: string | number): string | number {
  if (typeof value === "number" || DECIMAL_NUMBER.test(value) || !FORMULA_START.test(value)) return value;
  return `'${value}`;
}

export function csvLine(values: (string | number)[]): string {
  return stringify([values.map(csvCell)], { record_delimiter: "\r\n" });
}

/**
 * A CSV download streamed as its rows are read: the header line, then one record per row. An
 * error while reading ends the stream with that error (the download fails; it is not cut short silently).
 */
export function csvDownloadResponse<Row>(fileName: string, header: string[], rows: AsyncIterable<Row>, toRecord: (row: Row) => string): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        controller.enqueue(encoder.encode(csvLine(header)));
        for await (const r of rows) controller.enqueue(encoder.encode(toRecord(r)));
        controller.close();
      } catch (err) {
        controller.error(err);
      }
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
    },
  });
}

/** The 400 of an export whose filters do not parse: the messages the list shows beside its fields. */
export function invalidFilterResponse(errors: Record<string, string | undefined>): Response {
  return new Response(`Invalid filter: ${Object.values(errors).join(" ")}\n`, {
    status: 400,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}
