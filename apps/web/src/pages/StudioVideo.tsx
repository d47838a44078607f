/** One video in the studio: edit, visibility, delete, comment moderation, like stats. */
export function StudioVideoPage() {
  return <h1>StudioVideo</h1>;
}
