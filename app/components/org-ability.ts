import { createMongoAbility, type MongoAbility, type RawRuleOf } from "@casl/ability";
import { unpackRules, type PackRule } from "@casl/ability/extra";
import { useMemo } from "react";
import { useRouteLoaderData } from "react-router";

/** Cosmetic only: hides buttons the server would refuse anyway. */
export function useOrgAbility(): MongoAbility {
  const shell = useRouteLoaderData("routes/app.$org") as { rules?: PackRule<RawRuleOf<MongoAbility>>[] } | undefined;
  return useMemo(() => createMongoAbility(unpackRules(shell?.rules ?? [])), [shell?.rules]);
}
