import { useState } from 'preact/hooks';

export function SignIn({ onSubmit, message }: { onSubmit: (key: string) => void; message?: string }) {
  const [key, setKeyText] = useState('');
  return (
    <main class="page signin">
      <h1>Vigil</h1>
      <p>Sign in with a team's API key, or with the admin token for the organisation view.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (key.trim()) onSubmit(key.trim());
        }}
      >
        <label for="key">API key</label>
        <input id="key" name="key" type="password" autocomplete="off" value={key} onInput={(e) => setKeyText(e.currentTarget.value)} required />
        <button type="submit">Sign in</button>
      </form>
      {message && (
        <p class="error" role="alert">
          {message}
        </p>
      )}
      <p class="hint">The key stays in this browser tab only. A link ending in <code>#key=…</code> signs in directly.</p>
    </main>
  );
}
