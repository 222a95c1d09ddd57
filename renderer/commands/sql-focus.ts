/** Which node's SQL the SQL preview should show next ("Show SQL" on a node); `seq` makes a repeat count. */
import { create } from 'zustand';

export const useSqlFocus = create<{ nodeId: string | null; seq: number }>()(() => ({ nodeId: null, seq: 0 }));

/** The focus the SQL preview took: it is not applied again when the tab is shown later. */
export function sqlFocusTaken(): void {
  if (useSqlFocus.getState().nodeId) useSqlFocus.setState({ nodeId: null });
}

export function focusSql(nodeId: string): void {
  useSqlFocus.setState((s) => ({ nodeId, seq: s.seq + 1 }));
}
