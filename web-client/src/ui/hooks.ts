import { useEffect, useRef, useState } from 'react';

/** The local clock, re-read every `everyMs` so countdowns and "waited" figures tick. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

/**
 * Text for a polite live region, changed at most once per `minGapMs` so a screen reader is not
 * flooded by every push; the latest text is announced when the gap has passed.
 */
export function useThrottled(text: string, minGapMs: number): string {
  const [shown, setShown] = useState(text);
  const last = useRef(0);
  useEffect(() => {
    if (text === shown) return;
    const wait = Math.max(0, last.current + minGapMs - Date.now());
    const t = setTimeout(() => {
      last.current = Date.now();
      setShown(text);
    }, wait);
    return () => clearTimeout(t);
  }, [text, shown, minGapMs]);
  return shown;
}
