import { Global, Module } from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { TransactionHost } from '@nestjs-cls/transactional';
import { ClsService } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { transactionHostModule } from './transactions';

describe(transactionHostModule.name, () => {
  it('gives the transaction host without adding a global guard or interceptor to every request', async () => {
    @Global()
    @Module({ providers: [{ provide: DataSource, useValue: { manager: {} } }], exports: [DataSource] })
    class HostDatabaseModule {}
    const moduleRef = await Test.createTestingModule({ imports: [HostDatabaseModule, transactionHostModule()] }).compile();
    await moduleRef.init();
    try {
      expect(moduleRef.get(TransactionHost)).toBeInstanceOf(TransactionHost);
      expect(moduleRef.get(ClsService).isActive()).toBe(false);
      const config = moduleRef.get(ApplicationConfig);
      expect([...config.getGlobalInterceptors(), ...config.getGlobalRequestInterceptors()]).toEqual([]);
      expect([...config.getGlobalGuards(), ...config.getGlobalRequestGuards()]).toEqual([]);
    } finally {
      await moduleRef.close();
    }
  });
});
