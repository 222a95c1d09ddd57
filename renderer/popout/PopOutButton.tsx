/** The button beside Maximise that opens the SQL preview or the diff in a window of its own (popout-host.ts). */
import { popOut, usePopouts } from './popout-host.ts';
import { POPOUT_NAMES, type PopoutPanel } from './popout-protocol.ts';

export function PopOutButton({ panel }: { panel: PopoutPanel }) {
  const open = usePopouts((s) => s.open.includes(panel));
  return (
    <button
      type="button"
      className="tab-action"
      title={
        open
          ? `The ${POPOUT_NAMES[panel]} has its own window, kept in step with the editor: bring it forward`
          : `Open the ${POPOUT_NAMES[panel]} in a window of its own, kept in step with the editor`
      }
      aria-label={open ? `Bring the ${POPOUT_NAMES[panel]} window forward` : `Pop out the ${POPOUT_NAMES[panel]}`}
      aria-pressed={open}
      data-testid={`popout-${panel}-button`}
      onClick={() => popOut(panel)}
    >
      ↗
    </button>
  );
}
