import { ApiError, apiRoute } from "~/utils/api.server";

// Any /api/… path outside a known version: a JSON 404, never the HTML error page.
const notFound = apiRoute(() => {
  throw new ApiError("not_found");
});

export const loader = notFound;
export const action = notFound;
