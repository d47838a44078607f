/** The active profile's watch history. */
export function HistoryPage() {
  return <h1>History</h1>;
}
