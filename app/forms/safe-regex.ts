// A conservative ReDoS check for the `pattern` keyword of form schemas. It parses the
// pattern (ECMAScript, "u" mode, as ajv compiles it) and refuses the shapes that make a
// backtracking engine slow: exponential ones (a repeated group that can match the same text
// in more than one way) and high-degree polynomial ones (three or more overlapping unbounded
// runs in a row). It errs on the side of refusing; a refused pattern can always be rewritten.
// The quadratic case left over (`\d+$` searched unanchored) is bounded at validation time:
// patterns are only tested against strings of at most PATTERN_INPUT_MAX characters
// (app/forms/ajv.server.ts). Pure module: the builder may run the same check in the browser.

export const PATTERN_MAX_LENGTH = 200;

export type RegexProblem =
  | "tooLong"
  | "invalid"
  | "backreference"
  | "lookbehind"
  | "nestedQuantifier"
  | "overlappingAlternation"
  | "adjacentQuantifiers";

// ---------------------------------------------------------------------------------------
// Character sets as sorted, disjoint, inclusive code-point ranges.

type Range = [number, number];
type CharSet = Range[];
const MAX_CP = 0x10ffff;

function normalise(ranges: Range[]): CharSet {
  const sorted = ranges.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: CharSet = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

const union = (...sets: CharSet[]): CharSet => normalise(sets.flat().map(([a, b]) => [a, b] as Range));

function complement(set: CharSet): CharSet {
  const out: Range[] = [];
  let next = 0;
  for (const [a, b] of set) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

function overlaps(x: CharSet, y: CharSet): boolean {
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const [a, b] = x[i]!;
    const [c, d] = y[j]!;
    if (a <= d && c <= b) return true;
    if (b < d) i++;
    else j++;
  }
  return false;
}

/** Every character of `inner` is in `outer`. */
function within(inner: CharSet, outer: CharSet): boolean {
  return inner.every(([a, b]) => outer.some(([c, d]) => c <= a && b <= d));
}

const cp = (ch: string) => ch.codePointAt(0)!;
const single = (code: number): CharSet => [[code, code]];
const DIGIT: CharSet = [[48, 57]];
const WORD: CharSet = normalise([[48, 57], [65, 90], [95, 95], [97, 122]]);
const SPACE: CharSet = normalise([
  [9, 13], [32, 32], [160, 160], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff],
]);
const LINE_TERMINATORS: CharSet = normalise([[10, 10], [13, 13], [0x2028, 0x2029]]);
const ANY: CharSet = [[0, MAX_CP]];
const DOT = complement(LINE_TERMINATORS);

// ---------------------------------------------------------------------------------------
// Syntax tree.

type Node =
  | { t: "alt"; branches: Node[] }
  | { t: "seq"; items: Node[] }
  | { t: "group"; body: Node }
  | { t: "look"; body: Node }
  | { t: "quant"; body: Node; min: number; max: number }
  | { t: "set"; set: CharSet }
  | { t: "assert" };

class Refused extends Error {
  constructor(readonly problem: RegexProblem) {
    super(problem);
  }
}

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.disjunction();
    if (this.i < this.src.length) throw new Refused("invalid");
    return node;
  }

  private peek(offset = 0) {
    return this.src[this.i + offset];
  }

  private disjunction(): Node {
    const branches = [this.alternative()];
    while (this.peek() === "|") {
      this.i++;
      branches.push(this.alternative());
    }
    return branches.length === 1 ? branches[0]! : { t: "alt", branches };
  }

  private alternative(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.peek() !== "|" && this.peek() !== ")") {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return { t: "seq", items };
  }

  private quantified(atom: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === "*") [min, max] = [0, Infinity];
    else if (c === "+") [min, max] = [1, Infinity];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return atom; // a literal "{" is a syntax error in u mode; compile() caught it
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (this.peek() === "?") this.i++; // lazy: same backtracking behaviour
    return { t: "quant", body: atom, min, max };
  }

  private atom(): Node {
    const c = this.src[this.i++]!;
    switch (c) {
      case "^":
      case "$":
        return { t: "assert" };
      case ".":
        return { t: "set", set: DOT };
      case "[":
        return { t: "set", set: this.charClass() };
      case "\\":
        return this.escape(false);
      case "(":
        return this.group();
      default: {
        const code = cp(this.src.slice(this.i - 1));
        if (code > 0xffff) this.i++; // astral character: two UTF-16 units
        return { t: "set", set: single(code) };
      }
    }
  }

  private group(): Node {
    let look = false;
    if (this.peek() === "?") {
      const next = this.peek(1);
      if (next === "<" && (this.peek(2) === "=" || this.peek(2) === "!")) throw new Refused("lookbehind");
      if (next === "=" || next === "!") {
        look = true;
        this.i += 2;
      } else if (next === ":") this.i += 2;
      else if (next === "<") {
        const end = this.src.indexOf(">", this.i);
        if (end < 0) throw new Refused("invalid");
        this.i = end + 1;
      } else {
        // Modifier groups such as (?i:…): treat as a plain group after the colon.
        const colon = this.src.indexOf(":", this.i);
        if (colon < 0) throw new Refused("invalid");
        this.i = colon + 1;
      }
    }
    const body = this.disjunction();
    if (this.src[this.i++] !== ")") throw new Refused("invalid");
    return look ? { t: "look", body } : { t: "group", body };
  }

  /** After a backslash. Inside a class only sets matter, never assertions or back-references. */
  private escape(inClass: boolean): Node {
    const c = this.src[this.i++];
    if (c === undefined) throw new Refused("invalid");
    if (/[1-9]/.test(c) || (c === "k" && !inClass)) throw new Refused("backreference");
    if (!inClass && (c === "b" || c === "B")) return { t: "assert" };
    const set = (s: CharSet): Node => ({ t: "set", set: s });
    switch (c) {
      case "d":
        return set(DIGIT);
      case "D":
        return set(complement(DIGIT));
      case "w":
        return set(WORD);
      case "W":
        return set(complement(WORD));
      case "s":
        return set(SPACE);
      case "S":
        return set(complement(SPACE));
      case "p":
      case "P": {
        // Unicode properties: treated as "any character" (conservative for overlap tests).
        const end = this.src.indexOf("}", this.i);
        if (this.peek() !== "{" || end < 0) throw new Refused("invalid");
        this.i = end + 1;
        return set(ANY);
      }
      case "u": {
        const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(this.src.slice(this.i));
        if (braced) {
          this.i += braced[0].length;
          return set(single(Number.parseInt(braced[1]!, 16)));
        }
        const hex = /^[0-9a-fA-F]{4}/.exec(this.src.slice(this.i));
        if (!hex) throw new Refused("invalid");
        this.i += 4;
        return set(single(Number.parseInt(hex[0], 16)));
      }
      case "x": {
        const hex = /^[0-9a-fA-F]{2}/.exec(this.src.slice(this.i));
        if (!hex) throw new Refused("invalid");
        this.i += 2;
        return set(single(Number.parseInt(hex[0], 16)));
      }
      case "c": {
        const letter = this.src[this.i++] ?? "@";
        return set(single(cp(letter) % 32));
      }
      case "n":
        return set(single(10));
      case "r":
        return set(single(13));
      case "t":
        return set(single(9));
      case "f":
        return set(single(12));
      case "v":
        return set(single(11));
      case "0":
        return set(single(0));
      case "b": // in a class: backspace
        return set(single(8));
      default:
        return set(single(cp(c)));
    }
  }

  private charClass(): CharSet {
    let negate = false;
    if (this.peek() === "^") {
      negate = true;
      this.i++;
    }
    const parts: CharSet[] = [];
    while (this.i < this.src.length && this.peek() !== "]") {
      const low = this.classAtom();
      if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== undefined && low.length === 1 && low[0]![0] === low[0]![1]) {
        this.i++;
        const high = this.classAtom();
        if (high.length === 1 && high[0]![0] === high[0]![1]) {
          parts.push([[low[0]![0], high[0]![0]]]);
          continue;
        }
        parts.push(low, single(cp("-")), high);
        continue;
      }
      parts.push(low);
    }
    if (this.src[this.i++] !== "]") throw new Refused("invalid");
    const set = union(...parts);
    return negate ? complement(set) : set;
  }

  private classAtom(): CharSet {
    const c = this.src[this.i++]!;
    if (c === "\\") {
      const node = this.escape(true);
      return node.t === "set" ? node.set : [];
    }
    const code = cp(this.src.slice(this.i - 1));
    if (code > 0xffff) this.i++;
    return single(code);
  }
}

// ---------------------------------------------------------------------------------------
// Analysis.

function nullable(node: Node): boolean {
  switch (node.t) {
    case "alt":
      return node.branches.some(nullable);
    case "seq":
      return node.items.every(nullable);
    case "group":
      return nullable(node.body);
    case "quant":
      return node.min === 0 || nullable(node.body);
    case "set":
      return false;
    default:
      return true;
  }
}

/** Characters that can start a match of the node. */
function first(node: Node): CharSet {
  switch (node.t) {
    case "alt":
      return union(...node.branches.map(first));
    case "seq": {
      const sets: CharSet[] = [];
      for (const item of node.items) {
        sets.push(first(item));
        if (!nullable(item)) break;
      }
      return union(...sets);
    }
    case "group":
    case "quant":
      return first(node.body);
    case "set":
      return node.set;
    default:
      return [];
  }
}

/** Every character the node can consume. */
function chars(node: Node): CharSet {
  switch (node.t) {
    case "alt":
      return union(...node.branches.map(chars));
    case "seq":
      return union(...node.items.map(chars));
    case "group":
    case "quant":
      return chars(node.body);
    case "set":
      return node.set;
    default:
      return [];
  }
}

function unbounded(node: Node): boolean {
  switch (node.t) {
    case "alt":
      return node.branches.some(unbounded);
    case "seq":
      return node.items.some(unbounded);
    case "group":
    case "look":
      return unbounded(node.body);
    case "quant":
      return node.max === Infinity || unbounded(node.body);
    default:
      return false;
  }
}

function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  if (node.t === "alt") node.branches.forEach((b) => walk(b, visit));
  else if (node.t === "seq") node.items.forEach((i) => walk(i, visit));
  else if (node.t === "group" || node.t === "look" || node.t === "quant") walk(node.body, visit);
}

/**
 * Exponential shapes: inside a quantifier that repeats (max > 1), another quantifier of
 * variable length ((a+)+, (a*)*, (.*a){12}) or an alternation whose branches can start
 * with the same character or match nothing ((a|a)*, (a|ab)+, (a|)+).
 */
function checkRepeats(root: Node): RegexProblem | null {
  let problem: RegexProblem | null = null;
  walk(root, (node) => {
    if (problem || node.t !== "quant" || node.max <= 1) return;
    walk(node.body, (inner) => {
      if (problem) return;
      if (inner.t === "quant" && inner.max > inner.min) problem = "nestedQuantifier";
      else if (inner.t === "alt") {
        if (inner.branches.some(nullable)) problem = "overlappingAlternation";
        const firsts = inner.branches.map(first);
        for (let i = 0; i < firsts.length && !problem; i++) {
          for (let j = i + 1; j < firsts.length && !problem; j++) {
            if (overlaps(firsts[i]!, firsts[j]!)) problem = "overlappingAlternation";
          }
        }
      }
    });
  });
  return problem;
}

/** The items of a sequence with plain (unquantified) groups opened up. */
function flatten(node: Node): Node[] {
  if (node.t === "seq") return node.items.flatMap(flatten);
  if (node.t === "group" && node.body.t === "seq") return flatten(node.body);
  if (node.t === "group" && node.body.t !== "alt") return flatten(node.body);
  return [node];
}

/**
 * Polynomial shapes: a run of unbounded items each of which can hand characters to the
 * next (their sets overlap and what lies between is optional or absorbed by the first):
 * `.*.*x` tries O(n²) splits per start position, and an unanchored search adds a factor n.
 * Degree 2 is tolerated (inputs are bounded); degree 3 or more is refused.
 */
function polynomialDegree(root: Node, anchored: boolean): number {
  let worst = 0;
  const sequences: Node[][] = [];
  walk(root, (node) => {
    if (node.t === "seq") sequences.push(flatten(node));
  });
  if (root.t !== "seq") sequences.push(flatten(root));
  for (const items of sequences) {
    let run = 0;
    let previous: { index: number; set: CharSet } | null = null;
    items.forEach((item, index) => {
      if (!unbounded(item)) return;
      const set = chars(item);
      const chained =
        previous !== null &&
        overlaps(previous.set, set) &&
        items.slice(previous.index + 1, index).every((between) => nullable(between) || within(chars(between), previous!.set));
      run = chained ? run + 1 : 1;
      previous = { index, set };
      worst = Math.max(worst, run);
    });
  }
  return worst + (anchored || worst === 0 ? 0 : 1);
}

/** null when the pattern may be used, otherwise why not. */
export function regexProblem(pattern: string): RegexProblem | null {
  if (pattern.length > PATTERN_MAX_LENGTH) return "tooLong";
  try {
    new RegExp(pattern, "u");
  } catch {
    return "invalid";
  }
  let tree: Node;
  try {
    tree = new Parser(pattern).parse();
  } catch (error) {
    if (error instanceof Refused) return error.problem;
    return "invalid";
  }
  const repeated = checkRepeats(tree);
  if (repeated) return repeated;
  if (polynomialDegree(tree, pattern.startsWith("^")) >= 3) return "adjacentQuantifiers";
  return null;
}
