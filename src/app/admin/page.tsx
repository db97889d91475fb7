import type { Metadata } from 'next';
import { Admin } from '../_components/admin.tsx';

export const metadata: Metadata = { title: 'Admin · Hearth' };

export default function AdminPage() {
  return <Admin />;
}
