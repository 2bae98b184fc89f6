import { z } from "zod";

// Messages are translation keys in the "notices" namespace (see ~/utils/form-errors).
// Limits match the CHECK constraints of notices_notice.
export const noticeInputSchema = z.object({
  title: z.string().trim().min(1, "errors.titleRequired").max(200, "errors.titleTooLong"),
  body: z.string().trim().min(1, "errors.bodyRequired").max(5000, "errors.bodyTooLong"),
});

export type NoticeInput = z.infer<typeof noticeInputSchema>;

export const NOTICES_PAGE_SIZE = 10;
