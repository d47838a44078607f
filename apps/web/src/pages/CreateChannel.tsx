/** Become a creator: create a channel. */
export function CreateChannelPage() {
  return <h1>CreateChannel</h1>;
}
