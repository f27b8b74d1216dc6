/** Phone photos are 3–10 MB; this is plenty to show a leak or a repaired pipe, and quick to send on a weak signal. */
const MAX_EDGE = 1600;
const SHRINK_ABOVE_BYTES = 1024 * 1024;

/**
 * A photo made small enough to upload (or keep offline): JPEG at most 1600 px on its longer side. A small file, or
 * one the browser cannot decode here, is kept as it is (the server checks the type by content anyway).
 */
export async function shrinkPhoto(file: File): Promise<{ blob: Blob; name: string }> {
  if (file.size <= SHRINK_ABOVE_BYTES || typeof createImageBitmap !== 'function') return { blob: file, name: file.name };
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    const scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    if (!blob || blob.size >= file.size) return { blob: file, name: file.name };
    return { blob, name: file.name.replace(/\.[^.]*$/, '') + '.jpg' };
  } catch {
    return { blob: file, name: file.name };
  }
}
