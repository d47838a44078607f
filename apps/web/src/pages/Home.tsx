/** Home: the active profile's feed rows with their reasons. */
export function HomePage() {
  return <h1>Home</h1>;
}
