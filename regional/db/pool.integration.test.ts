// Pools survive the server dropping an idle connection (failover, restart) instead of crashing.
import { describe, expect, inject, it } from 'vitest';
import { createPool } from './pool.ts';

describe('createPool', () => {
  it('reports an idle connection the server killed, then serves the next query on a new one', async () => {
    const errors: Error[] = [];
    const pool = createPool(inject('systemDatabaseUrl'), { max: 1, onIdleError: (e) => errors.push(e) });
    const owner = createPool(inject('databaseUrl'), { max: 1 });
    try {
      const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await owner.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
      await expect.poll(() => errors.length).toBe(1);
      expect(errors[0]?.message).toMatch(/terminat/);
      const again = await pool.query<{ one: number }>('SELECT 1 AS one');
      expect(again.rows[0]?.one).toBe(1);
    } finally {
      await pool.end();
      await owner.end();
    }
  });
});
