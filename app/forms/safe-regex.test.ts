import { describe, expect, it } from "vitest";
import { PATTERN_MAX_LENGTH, regexProblem } from "./safe-regex";

describe("regexProblem (conservative ReDoS check)", () => {
  // Patterns the builder offers or that admins commonly write: all must stay usable.
  const safe = [
    "^[0-9]{10}$", // national id (forms conventions)
    "^\\+?[0-9 ]{7,20}$", // phone (forms conventions)
    "^05[0-9]{8}$",
    "^SA[0-9]{22}$",
    "^[A-Z]{2}[0-9]{6}$",
    "^[\\u0600-\\u06FF ]+$", // Arabic letters and spaces
    "^[\\p{L} ]+$",
    "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
    "^\\d+(\\.\\d{1,2})?$",
    "^(?:[A-Z]{2}[0-9]{2})+$", // fixed-width repeated group
    "^(ا|ب|ج)+$",
    "^[a-z][a-z0-9-]{1,63}$",
    "\\d+",
    "^\\d{4}-\\d{2}-\\d{2}$",
    "^(?<year>\\d{4})$",
    "^[\\]\\[]+$",
  ];
  for (const pattern of safe) {
    it(`accepts ${pattern}`, () => expect(regexProblem(pattern)).toBeNull());
  }

  // Known evil patterns (OWASP ReDoS list and friends).
  const evil: [string, string][] = [
    ["(a+)+", "nestedQuantifier"],
    ["(a*)*", "nestedQuantifier"],
    ["^(a+)+$", "nestedQuantifier"],
    ["([a-zA-Z]+)*", "nestedQuantifier"],
    ["^(([a-z])+.)+[A-Z]([a-z])+$", "nestedQuantifier"],
    ["(.*a){12}", "nestedQuantifier"],
    ["^(\\w+\\s?)+$", "nestedQuantifier"],
    ["(x+x+)+y", "nestedQuantifier"],
    ["^(\\d+)*$", "nestedQuantifier"],
    ["(a{1,2})+", "nestedQuantifier"],
    ["(a|a)*", "overlappingAlternation"],
    ["(a|aa)+", "overlappingAlternation"],
    ["^(a|ab)*c$", "overlappingAlternation"],
    ["(\\d|[0-9])+", "overlappingAlternation"],
    ["(\\w|\\d)+$", "overlappingAlternation"],
    ["(a|)+", "overlappingAlternation"],
    ["(.|\\s)*", "overlappingAlternation"],
    ["(a)\\1", "backreference"],
    ["(?<n>a)\\k<n>", "backreference"],
    ["(?<=a)b", "lookbehind"],
    ["(?<!a)b", "lookbehind"],
    [".*.*=.*", "adjacentQuantifiers"],
    ["^.*.*.*$", "adjacentQuantifiers"],
    ["\\d+\\d+", "adjacentQuantifiers"], // unanchored: one more factor n
    ["^a\\s*\\s*\\s*b$", "adjacentQuantifiers"],
    ["(", "invalid"],
    ["[a-", "invalid"],
    ["a{2,1}", "invalid"],
  ];
  for (const [pattern, problem] of evil) {
    it(`refuses ${pattern} (${problem})`, () => expect(regexProblem(pattern)).toBe(problem));
  }

  it("refuses patterns longer than the limit", () => {
    expect(regexProblem("a".repeat(PATTERN_MAX_LENGTH))).toBeNull();
    expect(regexProblem("a".repeat(PATTERN_MAX_LENGTH + 1))).toBe("tooLong");
  });

  it("the refused shapes really are slow, the accepted ones are not (sanity check of the premise)", () => {
    const time = (pattern: string, input: string) => {
      const start = performance.now();
      new RegExp(pattern, "u").test(input);
      return performance.now() - start;
    };
    const attack = "a".repeat(22) + "!";
    expect(time("^(a+)+$", attack)).toBeGreaterThan(time("^[0-9]{10}$", attack) + 5);
  });
});
