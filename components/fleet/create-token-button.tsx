'use client';

import { useState } from 'react';
import { CreateTokenDialog } from './create-token-dialog';

/** "Create token", at the top of the fleet page, for admins. */
export function CreateTokenButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn primary" onClick={() => setOpen(true)}>Create token</button>
      <CreateTokenDialog open={open} onClose={() => setOpen(false)} />
    </>
  );
}
