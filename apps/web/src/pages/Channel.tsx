/** A channel page: its videos and the subscribe button. */
export function ChannelPage() {
  return <h1>Channel</h1>;
}
