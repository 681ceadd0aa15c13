/**
 * Reading a UBL document back for the e-invoice tests: the DOM of xmlbuilder2's parser, walked by
 * the UBL namespaces (not through the code under test's own helpers).
 */
import { create } from "xmlbuilder2";

const NAMESPACES: Record<string, string> = {
  cac: "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
  cbc: "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
};

export type El = {
  name: string;
  namespace: string | null;
  text: string;
  attr(name: string): string | null;
  /** Direct children by "cbc:Name" / "cac:Name". */
  all(name: string): El[];
  /** The first element down a path of child names, or throws naming the missing step. */
  get(...path: string[]): El;
  has(...path: string[]): boolean;
  childNames(): string[];
};

type DomElement = { localName: string; namespaceURI: string | null; textContent: string | null; childNodes: ArrayLike<{ nodeType: number }>; getAttribute(n: string): string | null; prefix: string | null };

function wrap(el: DomElement): El {
  const children = () => Array.from(el.childNodes).filter((n) => n.nodeType === 1) as unknown as DomElement[];
  const self: El = {
    name: el.localName,
    namespace: el.namespaceURI,
    text: el.textContent ?? "",
    attr: (n) => el.getAttribute(n),
    all(name) {
      const [prefix, local] = name.split(":");
      return children()
        .filter((c) => c.localName === local && c.namespaceURI === NAMESPACES[prefix!])
        .map(wrap);
    },
    get(...path) {
      let at: El = self;
      for (const step of path) {
        const next = at.all(step)[0];
        if (!next) throw new Error(`no ${step} under ${at.name} (path ${path.join("/")})`);
        at = next;
      }
      return at;
    },
    has(...path) {
      try {
        self.get(...path);
        return true;
      } catch {
        return false;
      }
    },
    childNames: () => children().map((c) => `${c.prefix}:${c.localName}`),
  };
  return self;
}

export function parseUbl(xml: string): El {
  const doc = create(xml).node as unknown as { documentElement: DomElement };
  return wrap(doc.documentElement);
}

/** A decimal string as an integer number of hundredths (amounts have at most 2 decimals: BR-DEC-*). */
export function cents(value: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(value);
  if (!m) throw new Error(`not an amount with at most 2 decimals: ${value}`);
  const v = BigInt(m[2]!) * 100n + BigInt((m[3] ?? "").padEnd(2, "0"));
  return m[1] ? -v : v;
}

/** Elements with neither child elements nor text (PEPPOL-EN16931-R008 forbids them), as "parent/cbc:Name". */
export function emptyElements(el: El): string[] {
  const empty = new Set<string>();
  for (const name of new Set(el.childNames())) {
    for (const child of el.all(name)) {
      if (child.childNames().length === 0 && child.text.trim() === "") empty.add(`${el.name}/${name}`);
      for (const e of emptyElements(child)) empty.add(e);
    }
  }
  return [...empty];
}
