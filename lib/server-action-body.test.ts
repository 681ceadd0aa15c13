import { describe, expect, it } from "vitest";
import { actionBodyProblem, formPostProblem } from "./server-action-body";

const multipart = (parts: [string, string][], boundary = "----cumulusBoundary") =>
  new Request("http://x/", {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    body: parts.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join("") + `--${boundary}--\r\n`,
  });
const form = (fd: FormData) => new Request("http://x/", { method: "POST", body: fd });
const text = (body: string, type = "text/plain;charset=UTF-8") => new Request("http://x/", { method: "POST", headers: { "content-type": type }, body });

describe("actionBodyProblem", () => {
  it("passes what React's client sends: a state and a form, plain values, outlined rows", async () => {
    const fd = new FormData();
    fd.append("_1_email", "a@example.com");
    fd.append("_1_password", "$not-a-reference");
    fd.append("0", JSON.stringify([{ message: "$$escaped", n: "$n12", d: "$D2026-01-01T00:00:00.000Z", u: "$undefined" }, "$K1"]));
    expect(await actionBodyProblem(form(fd))).toBeNull();
    expect(await actionBodyProblem(multipart([["1", '{"a":1}'], ["10", "[1]"], ["0", '["$1","$a","$1",-0,"$-Infinity"]']]))).toBeNull();
    expect(await actionBodyProblem(text("[]"))).toBeNull();
    expect(await actionBodyProblem(text('["abc",{"x":1}]'))).toBeNull();
  });

  it("refuses a wrong or missing content type, and a multipart body that does not parse", async () => {
    const refused = [
      text("garbage", "application/json"),
      new Request("http://x/", { method: "POST", body: "x" }),
      text("a=b", "application/x-www-form-urlencoded"),
      text("--x\r\n", "multipart/form-data"),
      // A body that does not match its boundary.
      new Request("http://x/", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=other" }, body: "--x\r\nbroken" }),
    ];
    for (const r of refused) expect((await actionBodyProblem(r))?.status).toBe(400);
  });

  it("refuses an argument row that is missing, not JSON or not a list", async () => {
    for (const body of ["", "garbage{", "5", '{"a":1}', "null", '"$K1"']) expect((await actionBodyProblem(text(body)))?.status, body).toBe(400);
    expect((await actionBodyProblem(multipart([["_1_email", "x"]])))?.status).toBe(400);
    expect((await actionBodyProblem(multipart([["0", "not json"]])))?.status).toBe(400);
  });

  it("refuses dangling and unsupported references", async () => {
    for (const root of ['["$1"]', '["$@5"]', '["$h1"]', '["$Q1"]', '["$W1"]', '["$T"]', '["$B1"]', '["$zz"]', '[{"a":["$2"]}]']) {
      expect((await actionBodyProblem(multipart([["1", "{}"], ["0", root]])))?.status, root).toBe(root === '["$1"]' ? undefined : 400);
    }
    expect((await actionBodyProblem(multipart([["0", '["$1"]']])))?.reason).toMatch(/missing row/);
    expect((await actionBodyProblem(multipart([["1", "{oops"], ["0", '["$1"]']])))?.reason).toMatch(/not JSON/);
    // A row that refers to itself is no endless loop.
    expect(await actionBodyProblem(multipart([["1", '["$1"]'], ["0", '["$1"]']]))).toBeNull();
  });

  it("refuses nesting deeper than any form sends, and a body over the limit", async () => {
    expect((await actionBodyProblem(text("[".repeat(100) + "]".repeat(100))))?.status).toBe(400);
    const big = new Request("http://x/", { method: "POST", headers: { "content-type": "text/plain", "content-length": String(2 * 1024 * 1024) }, body: "[]" });
    expect((await actionBodyProblem(big))?.status).toBe(413);
  });
});

describe("formPostProblem (a form posted before the page's JavaScript ran)", () => {
  it("passes a form as React renders it for a form action, and a plain form", async () => {
    const rendered = multipart([
      ["$ACTION_REF_1", ""],
      ["$ACTION_1:0", '{"id":"7f00","bound":"$@1"}'],
      ["$ACTION_1:1", "[{}]"],
      ["$ACTION_KEY", "k1"],
      ["email", "a@example.com"],
    ]);
    expect(await formPostProblem(rendered)).toBeNull();
    expect(await formPostProblem(multipart([["$ACTION_REF_1", ""], ["$ACTION_1:0", '{"id":"7f00","bound":null}']]))).toBeNull();
    expect(await formPostProblem(multipart([["email", "a@example.com"]]))).toBeNull();
  });

  it("refuses a body that does not parse, and action rows that are missing or not JSON", async () => {
    const broken = new Request("http://x/", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=XyZ" }, body: "--XyZ\r\nbroken" });
    expect((await formPostProblem(broken))?.status).toBe(400);
    for (const [row0, row1] of [
      ["not json", "[]"],
      ['{"bound":null}', "[]"],
      ['{"id":"7f00","bound":"$@2"}', "[]"],
      ['{"id":"7f00","bound":"$@1"}', "[{}"],
      ['{"id":"7f00","bound":"$@1"}', '{"a":1}'],
      ['{"id":"7f00","bound":"$Q1"}', "[]"],
    ]) {
      const body = multipart([["$ACTION_REF_1", ""], ["$ACTION_1:0", row0!], ["$ACTION_1:1", row1!]]);
      expect((await formPostProblem(body))?.status, `${row0} / ${row1}`).toBe(400);
    }
  });
});
