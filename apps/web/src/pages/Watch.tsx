/** The watch page: player, reactions, subscribe, comments, embed snippet. */
export function WatchPage() {
  return <h1>Watch</h1>;
}
