import { ConfigError, readConfig } from '../../src/config.js';

describe('reminder settings from the environment', () => {
  it('defaults: on, every 5 minutes, the actionplan-reminders queue, Teams’ public service URL', () => {
    expect(readConfig({}).reminders).toEqual({
      enabled: true,
      sweepMinutes: 5,
      queueName: 'actionplan-reminders',
      teamsServiceUrl: 'https://smba.trafficmanager.net/teams/',
    });
  });

  it('reads each one', () => {
    expect(
      readConfig({
        REMINDERS_ENABLED: 'false',
        REMINDER_SWEEP_MINUTES: '15',
        REMINDER_QUEUE: 'moj-reminders',
        TEAMS_SERVICE_URL: 'https://smba.trafficmanager.net/emea/',
      }).reminders,
    ).toEqual({
      enabled: false,
      sweepMinutes: 15,
      queueName: 'moj-reminders',
      teamsServiceUrl: 'https://smba.trafficmanager.net/emea/',
    });
  });

  it('refuses bad values, naming the variable', () => {
    let error: unknown;
    try {
      readConfig({
        REMINDERS_ENABLED: 'maybe',
        REMINDER_SWEEP_MINUTES: '0',
        REMINDER_QUEUE: 'Reminders_Queue',
        TEAMS_SERVICE_URL: 'teams',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'REMINDERS_ENABLED',
      'REMINDER_SWEEP_MINUTES',
      'REMINDER_QUEUE',
      'TEAMS_SERVICE_URL',
    ]) {
      expect(problems).toContain(name);
    }
  });
});
