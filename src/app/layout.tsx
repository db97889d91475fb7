import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { App } from './_components/app.tsx';
import './globals.css';
import './styles/accounts.css';
import './styles/connection.css';
import './styles/timeline.css';
import './styles/rooms.css';
import './styles/mentions.css';
import './styles/feed.css';

export const metadata: Metadata = {
  title: 'Hearth',
  description: 'Self-hosted, type-safe real-time team chat',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

// Rendered per request, never prerendered: Next puts the response's CSP nonce
// (server/http/security-headers.ts) on its scripts only when it renders the page.
export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <App>{children}</App>
      </body>
    </html>
  );
}
