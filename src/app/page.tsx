import { AuthPanel } from './auth-panel';

export default function HomePage() {
  return (
    <main>
      <h1>Hearth</h1>
      <AuthPanel />
    </main>
  );
}
