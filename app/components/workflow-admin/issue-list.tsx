import { List, Text } from "@mantine/core";

/** Schema issues of a file or of the JSON editor: where (a path, read left to right) and what. */
export function IssueList({ issues }: { issues: { path: string; message: string }[] }) {
  if (issues.length === 0) return null;
  return (
    <List size="sm" mt="xs" spacing={2}>
      {issues.map((issue, i) => (
        <List.Item key={i}>
          <Text span size="sm" ff="monospace" dir="ltr">
            {issue.path}
          </Text>
          {" — "}
          <bdi>{issue.message}</bdi>
        </List.Item>
      ))}
    </List>
  );
}
