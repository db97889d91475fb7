import type { Metadata } from 'next';
import { Account } from '../_components/account.tsx';

export const metadata: Metadata = { title: 'Account · Hearth' };

export default function AccountPage() {
  return <Account />;
}
