import { definePluginServer } from "../contract";
import { computeKpis } from "./jobs.server";
import { catalogueKpis } from "./kpis";
import * as m0001 from "./migrations/0001_service_catalogue";
import { beginReview, publish, sendBack } from "./node-kinds.server";
import { seedCatalogue } from "./seed.server";
import { catalogueSettings } from "./settings";
import { serviceReviewWorkflow } from "./templates";

// Everything the service catalogue contributes (docs/plugins.md; README.md beside this file).
export default definePluginServer({
  migrations: { "0001_service_catalogue": m0001 },
  permissions: {
    subjects: [
      // "review" = send a service for review (starts the review workflow); publishing is the workflow's.
      {
        name: "CatalogueService",
        actions: ["read", "create", "update", "delete", "review"],
        fields: { createdBy: "user", unitId: "unit" },
      },
      { name: "ServiceCharter", actions: ["read", "update", "publish"] },
    ],
    defaultGrants: {
      admin: [
        { action: "manage", subject: "CatalogueService" },
        { action: "manage", subject: "ServiceCharter" },
      ],
      manager: [
        {
          action: ["read", "create", "update", "review"],
          subject: "CatalogueService",
        },
        { action: "read", subject: "ServiceCharter" },
      ],
      staff: [
        { action: "read", subject: "CatalogueService" },
        { action: "read", subject: "ServiceCharter" },
      ],
    },
  },
  nav: [
    {
      key: "services",
      label: "nav.title",
      path: "service-catalogue",
      section: "main",
      can: ["read", "CatalogueService"],
    },
  ],
  // The contract keeps plugin pages under the plugin id: /app/:org/service-catalogue/…
  routes: ["service-catalogue"],
  settings: catalogueSettings,
  workflows: [serviceReviewWorkflow],
  nodeKinds: [beginReview, publish, sendBack],
  kpis: catalogueKpis,
  jobs: [computeKpis],
  seed: seedCatalogue,
});
