/** A red band across the window while the target is a production connection. */
import { useTarget } from './target.ts';

export function ProductionBand() {
  const target = useTarget();
  if (target?.environment?.kind !== 'production') return null;
  return (
    <div className="production-band" data-testid="production-band" role="status">
      <strong>PRODUCTION</strong> Target: {target.name}. Apply commits to production and asks you to type its name.
    </div>
  );
}
