/** Search results with filters. */
export function SearchPage() {
  return <h1>Search</h1>;
}
