import { describe, expect, it } from "vitest";
import { noticeInputSchema } from "./schema";

describe("notice input", () => {
  it("trims and accepts a title and text", () => {
    expect(noticeInputSchema.parse({ title: "  اجتماع  ", body: "يوم الأحد" })).toEqual({ title: "اجتماع", body: "يوم الأحد" });
  });

  it("names each problem with a translation key", () => {
    const result = noticeInputSchema.safeParse({ title: "   ", body: "x".repeat(5001) });
    expect(result.success).toBe(false);
    const messages = Object.fromEntries(result.error!.issues.map((i) => [String(i.path[0]), i.message]));
    expect(messages).toEqual({ title: "errors.titleRequired", body: "errors.bodyTooLong" });
    expect(noticeInputSchema.safeParse({ title: "ع".repeat(201), body: "x" }).error!.issues[0]!.message).toBe("errors.titleTooLong");
  });
});
