// Where sign-out ends (after the issuer's own sign-out): says so, and offers to sign in again.
export const dynamic = 'force-dynamic';

/** The signed-out page; signing in again asks for the password. */
export default function SignedOut() {
  return (
    <main className="grid min-h-screen place-items-center p-6">
      <div className="w-full max-w-md rounded-lg border border-gray-200 bg-white p-6 shadow-sm dark:border-gray-800 dark:bg-gray-900">
        <h1 className="text-lg font-medium" data-testid="signed-out">
          You are signed out
        </h1>
        <p className="mt-2 text-sm text-gray-500 dark:text-gray-400">
          Your dashboard session has ended, here and at the sign-in service.
        </p>
        <a
          href="/api/auth/login"
          className="mt-6 block rounded-md bg-blue-600 px-4 py-2 text-center text-sm font-medium text-white hover:bg-blue-700"
        >
          Sign in again
        </a>
      </div>
    </main>
  );
}
