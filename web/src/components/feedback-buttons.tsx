/** "Confirm anomaly" and "Mark normal": one label through the feedback API, then the answer in words. */
import { useState } from 'preact/hooks';
import type { Label } from '../api';

export function FeedbackButtons({ current, send }: { current: Label | null; send: (label: Label) => Promise<void> }) {
  const [state, setState] = useState<{ busy: boolean; label: Label | null; error: string | null }>({ busy: false, label: current, error: null });
  const label = async (l: Label): Promise<void> => {
    setState((s) => ({ ...s, busy: true, error: null }));
    try {
      await send(l);
      setState({ busy: false, label: l, error: null });
    } catch (e) {
      setState((s) => ({ ...s, busy: false, error: e instanceof Error ? e.message : String(e) }));
    }
  };
  return (
    <div class="feedback">
      <span class="buttons" role="group" aria-label="Feedback">
        <button type="button" disabled={state.busy} onClick={() => void label('anomaly')}>Confirm anomaly</button>
        <button type="button" class="quiet" disabled={state.busy} onClick={() => void label('normal')}>Mark normal</button>
      </span>
      <p class="sub" role="status">
        {state.error ? <span class="error">Could not store the label: {state.error}</span> : state.label ? `Labelled ${state.label === 'anomaly' ? 'a real anomaly' : 'normal (a false alarm)'}.` : 'No label yet.'}
      </p>
    </div>
  );
}
