/** The Demo DB action: create the demo database, or recreate it from scratch after a confirmation. */
import { useApp } from '../store/index.ts';
import { createDemo } from './runs.ts';

export function offerDemo(): void {
  const s = useApp.getState();
  if (!s.connections.some((c) => c.demo)) return void createDemo();
  s.openDialog({
    kind: 'confirm',
    title: 'Recreate the demo database?',
    message: 'The demo database is created again from scratch: every change made to it is lost.',
    confirmLabel: 'Recreate',
    onConfirm: () => void createDemo(),
  });
}
