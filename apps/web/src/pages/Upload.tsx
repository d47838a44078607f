/** Upload a video: drag and drop, progress, resume, metadata. */
export function UploadPage() {
  return <h1>Upload</h1>;
}
