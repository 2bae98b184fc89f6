import type { RouteConfig } from "@react-router/dev/routes";
import { flatRoutes } from "@react-router/fs-routes";

// File-based routes (app/routes/*): one file per screen or resource.
export default flatRoutes() satisfies RouteConfig;
