/** One line under the toolbar for what just happened or went wrong; info notices fade after a while. */
import { useEffect } from 'react';
import { useApp } from '../store/index.ts';
import { Problem } from './Problem.tsx';

const INFO_MS = 6000;

export function NoticeBar() {
  const notice = useApp((s) => s.notice);
  useEffect(() => {
    if (notice?.level !== 'info') return;
    const t = setTimeout(() => {
      if (useApp.getState().notice === notice) useApp.getState().notify(null);
    }, INFO_MS);
    return () => clearTimeout(t);
  }, [notice]);
  if (!notice) return null;
  return (
    <div
      className={`notice notice-${notice.level}`}
      role={notice.level === 'error' ? 'alert' : 'status'}
      data-testid={`notice-${notice.level}`}
    >
      <span>
        {notice.text}
        {notice.problem && (
          <>
            {' '}
            <Problem {...notice.problem} />
          </>
        )}
      </span>
      <button type="button" className="link" aria-label="Dismiss" onClick={() => useApp.getState().notify(null)}>
        ×
      </button>
    </div>
  );
}
