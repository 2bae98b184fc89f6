import { ActionIcon, Indicator } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useOrgFormat } from "./org-format";

/**
 * The header's bell: a link to the member's notifications whose accessible name carries the
 * unread count ("الإشعارات، ٣ إشعارات غير مقروءة"); the visible badge repeats it for sighted
 * readers and is hidden from assistive technology so the count is not read twice.
 */
export function NotificationBell({ base, unread }: { base: string; unread: number }) {
  const { t } = useTranslation("notifications");
  const fmt = useOrgFormat();
  const formatted = fmt.number(unread);
  const shown = unread > 99 ? `${fmt.number(99)}+` : formatted;
  return (
    <Indicator
      inline
      disabled={unread === 0}
      color="red"
      size={18}
      offset={6}
      label={<span aria-hidden="true" data-testid="notification-count">{shown}</span>}
    >
      <ActionIcon component={Link} to={`${base}/notifications`} variant="subtle" color="gray" size="lg" aria-label={t("bell.label", { count: unread, formatted })} data-testid="notification-bell">
        <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
          <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
      </ActionIcon>
    </Indicator>
  );
}
