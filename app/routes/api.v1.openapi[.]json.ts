import { apiRoute, methodNotAllowed } from "~/utils/api.server";
import { openApiDocument } from "~/utils/openapi";

// GET /api/v1/openapi.json — public: the description of the API, not its data.
export const loader = apiRoute(() => openApiDocument());

export const action = methodNotAllowed(["GET"]);
