import { useEffect, useRef, useState } from 'react';

interface Detector {
  detect(source: HTMLVideoElement): Promise<Array<{ rawValue: string }>>;
}
type DetectorClass = new (opts: { formats: string[] }) => Detector;

/**
 * The phone's camera reading QR codes with the browser's BarcodeDetector, where there is one: attach `video` to a
 * <video muted playsInline>; `onText` gets the first code read, once. `camera` is 'none' without a detector or a
 * camera (the pages then offer a typed code — every label prints it).
 */
export function useQrCamera(onText: (text: string) => void) {
  const video = useRef<HTMLVideoElement>(null);
  const [camera, setCamera] = useState<'starting' | 'on' | 'none'>('starting');

  useEffect(() => {
    const Ctor = (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
    if (!Ctor || !navigator.mediaDevices?.getUserMedia) {
      setCamera('none');
      return;
    }
    let stream: MediaStream | null = null;
    let stop = false;
    const detector = new Ctor({ formats: ['qr_code'] });
    void navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then(async (s) => {
        stream = s;
        if (!video.current || stop) return;
        video.current.srcObject = s;
        await video.current.play();
        setCamera('on');
        while (!stop) {
          const found = await detector.detect(video.current).catch(() => []);
          if (found[0]?.rawValue) {
            stop = true;
            onText(found[0].rawValue);
            return;
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      })
      .catch(() => setCamera('none'));
    return () => {
      stop = true;
      stream?.getTracks().forEach((tr) => tr.stop());
    };
    // The camera starts once per mount; onText is read when a code is found.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return { video, camera };
}
